from django.urls import path

from pckb.core.routes import object_urls
from pckb.plans import views
from pckb.plans.fields import PLAN, PLAN_ITEM, TASK

app_name = "plans"
urlpatterns = [
    path("nhiem-vu/qua-han/", views.OverdueTasksView.as_view(), name="task_overdue"),
    path(
        "nhiem-vu/tu-ket-qua/<slug:app_label>/<slug:model>/<int:pk>/",
        views.OutcomeTaskView.as_view(),
        name="task_from_source",
    ),
    path(
        "nhiem-vu/qua-han/don-doc/<int:committee>/<int:agency>/",
        views.FollowUpLetterView.as_view(),
        name="task_followup_letter",
    ),
    path("nhiem-vu/<int:pk>/xac-nhan/", views.TaskConfirmView.as_view(), name="task_confirm"),
    *object_urls("ke-hoach", "plan", fields=PLAN, list_view=views.PlanListView, detail=views.PlanDetailView),
    *object_urls(
        "noi-dung",
        "planitem",
        fields=PLAN_ITEM,
        detail=views.PlanItemDetailView,
        edit=views.PlanItemEditView,
    ),
    *object_urls(
        "nhiem-vu",
        "task",
        fields=TASK,
        list_view=views.TaskListView,
        detail=views.TaskDetailView,
        edit=views.TaskEditView,
    ),
    # Progress updates are only added (a correction is a new update); their files go through the access layer.
    path("tien-do/them/", views.ProgressUpdateAddView.as_view(), name="progressupdate_add"),
    path("tien-do/<int:pk>/tep/", views.EvidenceDownloadView.as_view(), name="evidence"),
]
