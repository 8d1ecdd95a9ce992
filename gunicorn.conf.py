"""gunicorn reads this file from its working directory, the project folder (README,
"Production"), so every `gunicorn camp.wsgi ...` gets it; the command line keeps the bind,
the workers and the timeouts. Only hooks here."""


def post_worker_init(worker):
    # Each worker warms itself before it accepts a connection (camp/warmup.py): after a deploy
    # the first users' requests must not pay for imports, catalogues and template compilation.
    from camp.warmup import warm_process

    took = warm_process()
    worker.log.info("warmed in %.2f s: %s", sum(took.values()), took)
