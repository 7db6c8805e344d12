"""Dummy AWS credentials for the moto S3 server of ``tests/conftest.py``: tests assert that they
never reach output, logs or error messages. (A module of its own: several ``conftest.py`` files
exist, so ``from conftest import`` would be ambiguous.)"""

S3_KEY_ID, S3_SECRET = "AKIATESTDUMMYKEY0001", "dummySecretValueThatMustNeverLeak000"
