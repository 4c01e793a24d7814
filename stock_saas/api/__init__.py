"""The REST API front door: a FastAPI app under ``/api`` that only calls services."""
