from django.contrib import admin

from samverkan.geo.models import County, Municipality

admin.site.register(County)
admin.site.register(Municipality, list_display=["code", "name", "county"], list_filter=["county"])
