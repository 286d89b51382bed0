"""Background tasks of the credit module (django-tasks; queued after commit by the services)."""

from __future__ import annotations

from django_tasks import task


@task()
def rescreen_task(job_id: int) -> str:
    from shuangchuang.credit.services.jobs import rescreen_run

    job = rescreen_run(job_id)
    return job.status if job else "missing"


@task()
def bulk_screen_task(job_id: int) -> str:
    from shuangchuang.credit.services.jobs import bulk_screen_run

    job = bulk_screen_run(job_id)
    return job.status if job else "missing"


@task()
def late_filers_task(job_id: int) -> str:
    from shuangchuang.credit.services.annual import late_filers_run

    job = late_filers_run(job_id)
    return job.status if job else "missing"
