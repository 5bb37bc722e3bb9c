"""The product's own error pages (400/403/404/500 and a refused CSRF check), in the page's language.

Django renders ``400.html``, ``403.html``, ``404.html`` and ``500.html`` by itself when ``DEBUG`` is off;
only the CSRF refusal needs a view, so that it is not Django's English page.
"""

from django.shortcuts import render


def csrf_failure(request, reason: str = ""):
    """A refused form (expired page or cookie) explained in plain words; ``reason`` stays in the log."""
    return render(request, "403_csrf.html", status=403)
