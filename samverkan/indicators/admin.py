from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from samverkan.indicators.models import Indicator, Target


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "source_kind", "source_id", "owner"]
    list_filter = ["source_kind", "area"]
    search_fields = ["code", "title"]


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["title", "indicator", "owner", "area_code", "target_year"]
