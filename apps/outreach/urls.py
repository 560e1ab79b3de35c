"""Pages of issue 7 (outreach): promotional activities and alumni."""

from django.urls import path

from apps.outreach import views

app_name = "outreach"
urlpatterns: list = [
    path("promotions/", views.PromotionListView.as_view(), name="promotion-list"),
    path("promotions/new/", views.PromotionCreateView.as_view(), name="promotion-create"),
    path("promotions/<int:pk>/", views.PromotionDetailView.as_view(), name="promotion-detail"),
    path("promotions/<int:pk>/edit/", views.PromotionEditView.as_view(), name="promotion-edit"),
    path("alumni/", views.AlumniListView.as_view(), name="alumni-list"),
    path("alumni/export/", views.AlumniExportView.as_view(), name="alumni-export"),
    path("alumni/mine/", views.AlumniMineView.as_view(), name="alumni-mine"),
    path(
        "alumni/mine/<int:pk>/withdraw/",
        views.AlumniWithdrawView.as_view(),
        name="alumni-withdraw",
    ),
]
