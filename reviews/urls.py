"""Pages on the UN calendar's data for every signed-in person: the recommendations search."""

app_name = "reviews"

urlpatterns: list = []
