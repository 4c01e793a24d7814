"""Background work: the Celery app, thin tasks that call services, and the notifiers.

Nothing here holds business rules; tasks open a system Context for one tenant and call
a service. ``triggers.install()`` connects domain events to the queue.
"""
