"""通知: what reaches a user without their opening the app.

It sits in the lowest layer (camp), so every app may send: `notify(...)` records one inbox
copy per user and one `Delivery` per extra channel the user chose for that kind; a thin Celery
task delivers each with retries and backoff, reusing the delivery's key on every attempt.
"""
