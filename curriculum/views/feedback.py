"""How a POST-only action reports back: the service's refusal, or an invalid form, as error
messages on the page it redirects to; success as one line."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError


def run_and_tell(request, action: Callable[[], object], *, done: str) -> bool:
    """Run a service call; a ValidationError becomes the user's error messages."""
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, done)
    return True


def submit_and_tell(
    request, form, action: Callable[[dict], object], *, done: str, invalid: str
) -> bool:
    """For a small POST-only form: `invalid` says what to fill in, else the service runs on the
    cleaned data."""
    if not form.is_valid():
        messages.error(request, invalid)
        return False
    return run_and_tell(request, lambda: action(form.cleaned_data), done=done)
