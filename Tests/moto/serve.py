"""moto's server, single-threaded, for the pool tests and the claim benchmark.

`moto_server` always serves with threads (werkzeug `threaded=True`, no option to turn it off), and
moto's PutParameter checks "does the parameter exist?" and then appends it as two Python steps, so
two threads could both pass the check. AWS performs that create-if-absent atomically. Serving one
request at a time gives moto the same atomicity, so a concurrency test measures our code, not a
race inside the stand-in. Clients still connect concurrently; the listen queue holds them.

usage: python3 serve.py PORT
"""
import sys

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple

port = int(sys.argv[1])
run_simple("127.0.0.1", port, DomainDispatcherApplication(create_backend_app), threaded=False, processes=1)
