"""`passpredict serve`: the CLI's answers as a local web page and a JSON API, offline.

`app.create_app` builds the Starlette application; `params` turns query strings into typed,
validated requests (a bad one is an HTTP 400 naming the parameter); `engine` computes with
the same library calls as the command line; `svg` draws the charts; `pages` and `api` are the
HTML and JSON routes. Templates and static files are package data: nothing is loaded from
the network. Needs the `web` extra: ``pip install 'passpredict[web]'``.

May import: every library layer (leaf, engine, products, inputs, output, runs), never station.
Known debt, listed in tests/test_layers.py until it is paid: `params` and `requests` reuse the
command line's click parameter types (`passpredict.cli.options`). The JSON objects both front
ends answer with are library functions (`passpredict.output.geo_json`, `store_status`).
"""
