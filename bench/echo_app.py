"""The ceiling for `make bench-serve`: a bare Flask JSON echo, served by the same gunicorn worker
model as Regelbank. It parses the JSON body and answers it back, nothing else."""
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/echo")
def echo():
    return jsonify({"echo": request.get_json(silent=True)})
