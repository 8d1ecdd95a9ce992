"""Real concurrency for the PostgreSQL tests: actions in threads, released together."""

import threading

from django.db import connection


def race(*actions):
    """Run the actions in threads released together; [(result or exception)] in order."""
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            results[index] = action()
        except Exception as error:  # the loser's refusal is the point
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
