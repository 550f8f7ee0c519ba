"""alt-profanity-check behind Flask, one comment per request: the baseline of bench/load_api.py.

Runs in the virtualenv that bench/build_apc_venv.sh builds (alt-profanity-check pins its
own scikit-learn), served by gunicorn with the service's worker settings:

    /tmp/apc-venv/bin/gunicorn --chdir bench 'apc_app:create_app()'

``POST /check`` with ``{"text": "..."}`` answers ``{"profane": bool, "probability": float}``.
"""

from flask import Flask, abort, request
from profanity_check import predict_prob


def create_app() -> Flask:
    app = Flask(__name__)
    predict_prob(["warm up"])  # load the model before the first request

    @app.post("/check")
    def check():
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("text"), str):
            abort(400)
        probability = float(predict_prob([body["text"]])[0])
        return {"profane": probability >= 0.5, "probability": probability}

    return app
