"""``{% hub_section s %}``: render a hub section's template with its own context."""

from django import template
from django.utils.safestring import SafeString

from samverkan.core.hub import FrontBlock, HubSection

register = template.Library()


@register.simple_tag(takes_context=True)
def hub_section(context: template.Context, section: HubSection | FrontBlock) -> SafeString:
    section_template = context.template.engine.get_template(section.template)  # type: ignore[union-attr]
    with context.push(section=section, **section.context):
        return section_template.render(context)  # type: ignore[arg-type]
