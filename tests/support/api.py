"""JSON requests of the API tests: a body as the API's clients send it."""


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def patch(client, url, body):
    return client.patch(url, body, content_type="application/json")
