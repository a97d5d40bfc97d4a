from ninja import NinjaAPI

from placette.api.auth import StaffToken
from placette.api.contacts import router as contacts_router

api = NinjaAPI(
    title="API Placette",
    version="1",
    description="API REST de Placette pour les intégrations de l’équipe (jeton « Bearer »).",
    auth=StaffToken(),
    urls_namespace="api",
)
api.add_router("/", contacts_router)
