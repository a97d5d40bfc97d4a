app_name = "membership_portal"
urlpatterns: list = []
