"""The first reader after an edit reads the kept sums from an index alone (issue 12):
a covering index per scope for the sums (made before the plain one goes), and the
published deals' latest change for "Last updated"."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('deals', '0022_figure_sums'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='deal',
            index=models.Index(condition=models.Q(('is_published', True)), fields=['updated_at'], name='deal_published_updated'),
        ),
        migrations.AddIndex(
            model_name='figuresum',
            index=models.Index(fields=['scope'], include=('dated_on', 'section', 'value_qualifier', 'has_usd', 'is_held', 'is_converted', 'n', 'usd'), name='figure_sum_scope_covering'),
        ),
        migrations.RemoveIndex(
            model_name='figuresum',
            name='figure_sum_scope',
        ),
    ]
