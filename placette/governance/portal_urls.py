app_name = "governance_portal"
urlpatterns: list = []
