app_name = "spreadsheets"

urlpatterns = []
