"""Mounts every router of ``/api/v1``."""

from pilar.api.api import api
from pilar.api.endpoints import auth, regions, workers

api.add_router("/auth", auth.router)
api.add_router("/regions", regions.router)
api.add_router("/workers", workers.router)
