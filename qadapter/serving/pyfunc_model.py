"""The file MLflow saves as the qadapter pyfunc model ("models from code"): no pickle.

:func:`qadapter.serving.pyfunc.log_adapter_model` passes this file's path as ``python_model``;
MLflow copies it into the model directory and, on ``mlflow.pyfunc.load_model`` or ``mlflow models
serve``, runs it to obtain the model. All logic lives in the installed package; this file only
names the class, so a saved model holds no serialized Python object (no ``python_model.pkl``).
"""

import mlflow

from qadapter.serving.pyfunc import QAdapterModel

mlflow.models.set_model(QAdapterModel())
