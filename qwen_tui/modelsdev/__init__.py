"""models.dev as a second live source: fetch models.json, validate it, merge it with the catalog.

`fetch` does the HTTP (httpx), `parse` turns the body into inert `TrackerEntry` values, `merge`
joins them to catalog releases or makes new releases of them. Pure except `fetch`; no Textual.
"""
