app_name = "membership_public"
urlpatterns: list = []
