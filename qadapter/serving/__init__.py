"""Using a picked adapter: an MLflow pyfunc model and an OpenAI-compatible server."""
