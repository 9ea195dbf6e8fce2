#!/usr/bin/env python3
"""A stand-in for a running Zuul (11, MODEL_API 33) and the checks of scripts/scenarios/zuul-interop.sh.

Not a .sh file, so scripts/test does not run it by itself. Needs Debian's python3-kazoo (and
python3-websocket for the `console` client).

`zuul_fake.py zuul ...` runs the Zuul side of a deployment in one process, each component with its
own ZooKeeper session as separate Zuul processes would have:
  * a scheduler and one executor per `--executor zone:hostname:port:job_dir`, registered the way
    zuul/zk/components.py does it: kazoo create(ephemeral, sequence, makepath) of
    /zuul/components/<kind>/<hostname>, body json.dumps(content, sort_keys=True), content starting from
    Zuul's defaults of the kind (every later attribute change is a set() of the whole body);
  * in every component a watcher of the component registry that computes the system data-model
    version like ComponentRegistry (minimum model_api, missing = 0) and logs Zuul's messages, including
    the ERROR Zuul logs when a component older than the system appears;
  * per executor a plain-text finger log streamer over its job dir with the behaviour of Zuul's
    zuul/lib/log_streamer.py (request line rules, error strings, 4 KiB reads, 0.5 s polling, the end of
    the stream when the log file is gone);
  * builds published like zuul/zk/executor.py: the scheduler creates the BuildRequest node (all keys of
    BuildRequest.toDict, sorted) and its params, the executor locks it, sets state running and
    worker_info {hostname, log_port, zone}, writes a growing job-output.txt, and at the end removes the
    job dir, completes the request, and the scheduler deletes it.
It is driven by files in --state (cmd/upgrade, cmd/start-builds, cmd/finish-builds) and stops on SIGTERM.

The other subcommands are the scenario's probes: `registry-check`, `min-api`, `await-min-api`,
`nodes-gone`, `finger` (plain or mutual TLS) and `console` (Zuul's console-stream websocket).
"""
import argparse
import hashlib
import json
import logging
import os
import random
import re
import select
import shutil
import signal
import socket
import socketserver
import ssl
import struct
import sys
import threading
import time
import uuid as uuidlib

ROOT = "/zuul"
COMPONENTS_ROOT = ROOT + "/components"
# ComponentRegistry.COMPONENT_CLASSES: the kinds whose model_api counts.
KINDS = ("scheduler", "executor", "merger", "fingergw", "web", "launcher")
BASE_KEYS = ("hostname", "state", "kind", "version", "model_api")
# The attributes each component class adds to the base content, with Zuul's initial values.
KIND_EXTRA = {
    "executor": {"accepting_work": False, "zone": None, "allow_unzoned": False, "process_merge_jobs": False},
    "fingergw": {"zone": None, "public_port": None, "use_ssl": False},
    "launcher": {"connection_filter": None},
}
STATES = ("initializing", "running", "paused", "stopped")
PRECEDENCE_NORMAL = 200

log = logging.getLogger("zuul.fake")


def dumps(data):
    return json.dumps(data, sort_keys=True).encode("utf-8")


def write_atomic(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def kazoo_client(hosts):
    from kazoo.client import KazooClient
    zk = KazooClient(hosts=hosts, timeout=10.0)
    zk.start(timeout=30)
    return zk


def component_defaults(kind):
    content = {"hostname": None, "state": "stopped", "kind": kind, "version": None, "model_api": 0}
    content.update(KIND_EXTRA.get(kind, {}))
    return content


# --------------------------------------------------------------------------------------------------
# The component registry as each Zuul component sees it.

class RegistryWatcher:
    """Watches /zuul/components like ComponentRegistry and logs what Zuul logs about the model_api."""

    def __init__(self, zk, own_model_api, name):
        self.zk = zk
        self.own = own_model_api
        self.log = logging.getLogger("zuul.ComponentRegistry." + name)
        self.lock = threading.RLock()
        self.cache = {}  # (kind, node name) -> content
        self.watched = set()
        self.model_api = None
        self.ready = False
        for kind in KINDS:
            root = f"{COMPONENTS_ROOT}/{kind}"
            zk.ensure_path(root)
            zk.ChildrenWatch(root, self._children_watch(kind))
        self.ready = True
        self._update()

    def _children_watch(self, kind):
        def watch(children, event=None):
            with self.lock:
                for name in children:
                    if (kind, name) not in self.watched:
                        self.watched.add((kind, name))
                        self.zk.DataWatch(f"{COMPONENTS_ROOT}/{kind}/{name}", self._data_watch(kind, name))
        return watch

    def _data_watch(self, kind, name):
        def watch(data, stat, event=None):
            etype = getattr(event, "type", None)
            with self.lock:
                if data is not None and etype != "DELETED":
                    content = component_defaults(kind)
                    try:
                        content.update(json.loads(data.decode("utf-8")))
                    except ValueError:
                        self.log.error("Component %s %s has data that is not JSON: %r", kind, name, data[:200])
                        return
                    self.log.info("Component %s %s updated: %s", kind, name, content)
                    self.cache[(kind, name)] = content
                    self._update()
                    return
                self.log.info("Noticed %s component %s disappeared", kind, name)
                self.cache.pop((kind, name), None)
                self.watched.discard((kind, name))
                self._update()
                return False
        return watch

    def minimum(self):
        with self.lock:
            version = self.own
            for content in self.cache.values():
                version = min(version, content["model_api"])
            return version

    def _update(self):
        if not self.ready:
            return
        version = self.minimum()
        if version != self.model_api:
            self.log.info("System minimum data model version %s; this component %s", version, self.own)
        if self.model_api is None:
            if version < self.own:
                self.log.info("The data model version of this component is newer than the rest of the "
                              "system; this component will operate in compatability mode until the "
                              "system is upgraded")
            elif version > self.own:
                self.log.error("The data model version of this component is older than the rest of the "
                               "system; exiting to prevent data corruption")
        elif version < self.model_api:
            self.log.error("A component with a data model version older than the rest of the system has "
                           "been started; data corruption is very likely to occur. (model_api %s -> %s)",
                           self.model_api, version)
        elif version > self.model_api and version == self.own:
            self.log.info("The rest of the system has been upgraded to the data model version of this "
                          "component")
        self.model_api = version


class Component:
    """One registered Zuul component with its own ZooKeeper session (one Zuul process)."""

    def __init__(self, hosts, kind, hostname, version, model_api, extra_running):
        self.hosts = hosts
        self.kind = kind
        self.hostname = hostname
        self.version = version
        self.model_api = model_api
        self.extra_running = extra_running
        self.zk = None
        self.path = None
        self.registry = None
        self.content = None

    def start(self):
        self.zk = kazoo_client(self.hosts)
        self.registry = RegistryWatcher(self.zk, self.model_api, f"{self.kind}.{self.hostname}")
        self.content = component_defaults(self.kind)
        self.content.update(hostname=self.hostname, version=self.version, model_api=self.model_api)
        self.path = self.zk.create(f"{COMPONENTS_ROOT}/{self.kind}/{self.hostname}", dumps(self.content),
                                   makepath=True, ephemeral=True, sequence=True)
        log.info("Registered %s at %s (model_api %s)", self.kind, self.path, self.model_api)
        # Zuul sets the attributes one by one after register(); each is a write of the whole body.
        for key, value in self.extra_running.items():
            self.set(key, value)
        self.set("state", "running")

    def set(self, key, value):
        self.content[key] = value
        self.zk.set(self.path, dumps(self.content))

    def stop(self):
        if self.zk is None:
            return
        try:
            self.set("state", "stopped")
        except Exception as e:  # noqa: BLE001 (a stop goes on)
            log.warning("Cannot mark %s stopped: %s", self.path, e)
        self.zk.stop()
        self.zk.close()
        log.info("Stopped %s %s (session closed, node gone)", self.kind, self.path)
        self.zk = None
        self.path = None


# --------------------------------------------------------------------------------------------------
# The executor's log streamer (behaviour of zuul/lib/log_streamer.py; plain text, never TLS).

class FingerRequestHandler(socketserver.BaseRequestHandler):
    MAX_REQUEST_LEN = 1024
    REQUEST_TIMEOUT = 10

    def read_request(self):
        poller = select.poll()
        poller.register(self.request, select.POLLIN | select.POLLERR | select.POLLHUP | select.POLLNVAL)
        buf = b""
        deadline = time.monotonic() + self.REQUEST_TIMEOUT
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no request line within %s s" % self.REQUEST_TIMEOUT)
            for _fd, event in poller.poll(remaining * 1000):
                if not event & select.POLLIN:
                    raise OSError("error event on the client socket")
                got = self.request.recv(self.MAX_REQUEST_LEN)
                if not got:
                    raise BrokenPipeError()
                buf += got
            if len(buf) >= self.MAX_REQUEST_LEN:
                raise ValueError("request too long")
            try:
                text = buf.decode("utf-8")
            except UnicodeDecodeError:
                continue
            end = text.find("\n")
            if end > 0:
                return text[:end].rstrip()

    def say(self, msg):
        self.request.sendall(msg.encode("utf-8"))

    def handle(self):
        try:
            build = self.read_request()
        except BrokenPipeError:
            return
        except Exception:  # noqa: BLE001
            log.exception("Failure while reading a finger request")
            self.say("Internal streaming error")
            return
        if not re.fullmatch("[0-9A-Fa-f]+", build):
            self.say("Build ID %s is not valid" % build)
            return
        build_dir = os.path.join(self.server.job_dir, build)
        if not os.path.exists(build_dir):
            self.say("Build ID %s not found" % build)
            return
        path = os.path.join(build_dir, "work", "logs", "job-output.txt")
        if not os.path.exists(path):
            self.say("Log not found for build ID %s" % build)
            return
        try:
            self.stream(path)
        except (ConnectionResetError, BrokenPipeError) as e:
            log.error("Streaming failure for build UUID %s: %s", build, e)
        except Exception:  # noqa: BLE001
            log.exception("Streaming failure for build UUID %s:", build)
            self.say("Internal streaming error")

    def stream(self, path):
        while True:
            try:
                f = open(path, "rb")
                break
            except OSError:
                time.sleep(0.5)
        with f:
            while True:
                while True:
                    chunk = f.read(4096)
                    if not chunk:
                        break
                    self.request.send(chunk)
                if not os.path.exists(path):
                    return
                time.sleep(0.5)
                readable, _w, errored = select.select([self.request], [], [self.request], 0)
                if errored:
                    return
                if readable and not self.request.recv(1024):
                    return


class LogStreamer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, job_dir):
        self.job_dir = job_dir
        super().__init__(address, FingerRequestHandler)
        self.thread = threading.Thread(target=self.serve_forever, name="log-streamer", daemon=True)
        self.thread.start()

    def stop(self):
        self.shutdown()
        self.server_close()


# --------------------------------------------------------------------------------------------------
# Builds.

def log_chunk(rng, lines, first_line):
    """Lines of Ansible-like console output, with multi-byte UTF-8 characters here and there."""
    out = []
    words = ["ok", "changed", "TASK", "PLAY", "✓", "Grüße", "日本語", "ß", "—", "€", "🚀", "skipping", "zuul"]
    for n in range(first_line, first_line + lines):
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        payload = " ".join(rng.choice(words) for _ in range(rng.randint(3, 12)))
        noise = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(rng.randint(10, 90)))
        out.append(f"{stamp}.{n % 1000000:06d} | ubuntu-jammy | line {n} {payload} {noise}\n")
    return "".join(out).encode("utf-8")


class Build:
    def __init__(self, fake, executor, tenant, total_bytes, grow_seconds):
        self.fake = fake
        self.executor = executor
        self.zone = executor.zone
        self.uuid = uuidlib.uuid4().hex
        self.tenant = tenant
        self.total_bytes = total_bytes
        self.grow_seconds = grow_seconds
        self.queue_root = f"{ROOT}/executor/zones/{self.zone}" if self.zone else f"{ROOT}/executor/unzoned"
        self.path = f"{self.queue_root}/requests/{self.uuid}"
        self.build_dir = os.path.join(executor.job_dir, self.uuid)
        self.log_path = os.path.join(self.build_dir, "work", "logs", "job-output.txt")
        self.lock = None
        self.request = None
        self.writer = None
        self.grown = threading.Event()

    def submit(self, sched_zk):
        """The scheduler's ExecutorApi.submit: params first, then the request node (state requested)."""
        for sub in ("requests", "params", "results", "result-data", "waiters", "locks"):
            sched_zk.ensure_path(f"{self.queue_root}/{sub}")
        params = {"job_ref": "Z" + uuidlib.uuid4().hex, "zuul": {"build": self.uuid, "tenant": self.tenant}}
        import zlib
        sched_zk.create(f"{self.queue_root}/params/{self.uuid}/", zlib.compress(dumps(params)),
                        sequence=True, makepath=True)
        self.request = {
            "uuid": self.uuid,
            "state": "requested",
            "precedence": PRECEDENCE_NORMAL,
            "result_path": None,
            "span_context": None,
            "zone": self.zone,
            "build_set_uuid": uuidlib.uuid4().hex,
            "job_uuid": uuidlib.uuid4().hex,
            "tenant_name": self.tenant,
            "pipeline_name": "check",
            "event_id": uuidlib.uuid4().hex,
            "worker_info": None,
        }
        sched_zk.create(self.path, dumps(self.request))
        log.info("Submitted build request %s", self.path)

    def start(self):
        """The executor takes the request: lock, job dir, then state running with worker_info."""
        zk = self.executor.component.zk
        self.lock = zk.Lock(f"{self.queue_root}/locks/{self.uuid}")
        if not self.lock.acquire(blocking=True, timeout=10):
            raise RuntimeError("cannot lock " + self.uuid)
        os.makedirs(os.path.dirname(self.log_path))
        self.rng = random.Random(self.uuid)
        self.lines = 0
        with open(self.log_path, "wb") as f:
            f.write(self._next(self.total_bytes // 8))
        self.request["state"] = "running"
        self.request["worker_info"] = {
            "hostname": self.executor.hostname,
            "log_port": self.executor.port,
            "zone": self.zone,
        }
        zk.set(self.path, dumps(self.request))
        log.info("Build %s running on %s:%s (zone %s)", self.uuid, self.executor.hostname, self.executor.port,
                 self.zone)
        self.writer = threading.Thread(target=self._grow, name="build-" + self.uuid[:8], daemon=True)
        self.writer.start()

    def _next(self, nbytes):
        data = b""
        while len(data) < nbytes:
            data += log_chunk(self.rng, 50, self.lines)
            self.lines += 50
        return data

    def _grow(self):
        steps = max(1, int(self.grow_seconds / 0.1))
        per_step = max(1, (self.total_bytes - os.path.getsize(self.log_path)) // steps)
        with open(self.log_path, "ab") as f:
            for _ in range(steps):
                if self.fake.stopping.is_set():
                    break
                f.write(self._next(per_step))
                f.flush()
                time.sleep(0.1)
            f.write(f"Build {self.uuid} finished ✓\n".encode("utf-8"))
        digest = hashlib.sha256()
        with open(self.log_path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        self.final_size = os.path.getsize(self.log_path)
        self.final_sha = digest.hexdigest()
        log.info("Build %s stopped writing: %d bytes", self.uuid, self.final_size)
        self.grown.set()

    def finish(self, sched_zk):
        """Executor: job dir removed (the streams end), request completed, lock released; scheduler:
        request, params and lock nodes deleted."""
        from kazoo.exceptions import NoNodeError
        self.grown.wait(60)
        shutil.rmtree(self.build_dir, ignore_errors=True)
        zk = self.executor.component.zk
        self.request["state"] = "completed"
        try:
            zk.set(self.path, dumps(self.request))
        except NoNodeError:
            pass
        if self.lock is not None:
            try:
                self.lock.release()
            except Exception:  # noqa: BLE001
                pass
        for p in (self.path, f"{self.queue_root}/params/{self.uuid}", f"{self.queue_root}/locks/{self.uuid}"):
            try:
                sched_zk.delete(p, recursive=True)
            except NoNodeError:
                pass
        log.info("Build %s completed and removed", self.uuid)


# --------------------------------------------------------------------------------------------------
# The fake deployment.

class Executor:
    def __init__(self, spec, hosts, version, model_api):
        zone, hostname, port, job_dir = spec.split(":", 3)
        self.zone = zone or None
        self.hostname = hostname
        self.port = int(port)
        self.job_dir = job_dir
        os.makedirs(job_dir, exist_ok=True)
        self.streamer = LogStreamer(("127.0.0.1", self.port), job_dir)
        log.info("Executor %s log streamer on 127.0.0.1:%s over %s", hostname, self.port, job_dir)
        self.component = self._component(hosts, version, model_api)

    def _component(self, hosts, version, model_api):
        return Component(hosts, "executor", self.hostname, version, model_api, {
            "zone": self.zone, "allow_unzoned": False, "process_merge_jobs": True, "accepting_work": True})


class FakeZuul:
    def __init__(self, args):
        self.args = args
        self.state = args.state
        self.stopping = threading.Event()
        self.scheduler = Component(args.zk, "scheduler", args.scheduler_hostname, args.version, args.model_api, {})
        self.executors = [Executor(spec, args.zk, args.version, args.model_api) for spec in args.executor]
        self.builds = []
        os.makedirs(os.path.join(self.state, "cmd"), exist_ok=True)

    def components(self):
        return [e.component for e in self.executors] + [self.scheduler]

    def publish_paths(self):
        write_atomic(os.path.join(self.state, "own-paths.json"),
                     json.dumps([c.path for c in self.components() if c.path]))

    def run(self):
        self.scheduler.start()
        for e in self.executors:
            e.component.start()
        self.publish_paths()
        write_atomic(os.path.join(self.state, "ready"), "1")
        done = set()
        while not self.stopping.is_set():
            for cmd, action in (("upgrade", self.upgrade), ("start-builds", self.start_builds),
                                ("finish-builds", self.finish_builds)):
                if cmd not in done and os.path.exists(os.path.join(self.state, "cmd", cmd)):
                    done.add(cmd)
                    try:
                        action()
                    except Exception:  # noqa: BLE001
                        log.exception("Command %s failed", cmd)
                        write_atomic(os.path.join(self.state, cmd + ".failed"), "1")
            self.stopping.wait(0.1)
        self.shutdown()

    def upgrade(self):
        """Rolling upgrade: each component restarts (stop: node gone; start: new node) at the new API."""
        new_api = self.args.upgrade_model_api
        for c in self.components():
            c.stop()
            self.publish_paths()
            time.sleep(0.5)
            c.model_api = new_api
            c.version = self.args.upgrade_version
            c.start()
            self.publish_paths()
            time.sleep(0.5)
        write_atomic(os.path.join(self.state, "upgraded"), str(new_api))

    def start_builds(self):
        for e in self.executors:
            b = Build(self, e, self.args.tenant, self.args.log_bytes, self.args.grow_seconds)
            b.submit(self.scheduler.zk)
            self.builds.append(b)
        time.sleep(0.3)  # the request waits a moment in state requested, as it would in a queue
        for b in self.builds:
            b.start()
        write_atomic(os.path.join(self.state, "builds.json"), json.dumps(
            {b.zone: {"uuid": b.uuid, "log": b.log_path, "executor": b.executor.hostname} for b in self.builds}))
        threading.Thread(target=self._report_grown, daemon=True).start()

    def _report_grown(self):
        for b in self.builds:
            b.grown.wait()
        write_atomic(os.path.join(self.state, "grown.json"), json.dumps(
            {b.zone: {"uuid": b.uuid, "size": b.final_size, "sha256": b.final_sha} for b in self.builds}))

    def finish_builds(self):
        for b in self.builds:
            # Keep the final log for the byte comparison before the executor cleans its job dir up.
            shutil.copyfile(b.log_path, os.path.join(self.state, f"expected-{b.uuid}"))
            b.finish(self.scheduler.zk)
        write_atomic(os.path.join(self.state, "finished"), "1")

    def shutdown(self):
        for e in self.executors:
            e.streamer.stop()
        for c in self.components():
            c.stop()
        self.publish_paths()
        log.info("Fake Zuul stopped")


def cmd_zuul(args):
    fake = FakeZuul(args)
    signal.signal(signal.SIGTERM, lambda *_: fake.stopping.set())
    signal.signal(signal.SIGINT, lambda *_: fake.stopping.set())
    fake.run()
    return 0


# --------------------------------------------------------------------------------------------------
# Probes.

def read_components(zk):
    """All component nodes: list of (kind, name, path, raw dict or None if not JSON)."""
    from kazoo.exceptions import NoNodeError
    out = []
    for kind in zk.get_children(COMPONENTS_ROOT) if zk.exists(COMPONENTS_ROOT) else []:
        for name in zk.get_children(f"{COMPONENTS_ROOT}/{kind}"):
            path = f"{COMPONENTS_ROOT}/{kind}/{name}"
            try:
                data, _stat = zk.get(path)
            except NoNodeError:
                continue
            try:
                raw = json.loads(data.decode("utf-8"))
            except ValueError:
                raw = None
            out.append((kind, name, path, raw))
    return out


def minimum_model_api(zk, own):
    """ComponentRegistry.getMinimumModelApi over the tree: Zuul's kinds, defaults of the class, min."""
    version = own
    for kind, _name, _path, raw in read_components(zk):
        if kind not in KINDS or raw is None:
            continue
        content = component_defaults(kind)
        content.update(raw)
        version = min(version, content["model_api"])
    return version


def own_paths(state):
    try:
        with open(os.path.join(state, "own-paths.json")) as f:
            return set(json.load(f))
    except (OSError, ValueError):
        return set()


def cmd_min_api(args):
    zk = kazoo_client(args.zk)
    try:
        print(minimum_model_api(zk, args.own))
    finally:
        zk.stop()
        zk.close()
    return 0


def cmd_await_min_api(args):
    zk = kazoo_client(args.zk)
    try:
        deadline = time.monotonic() + args.timeout
        while True:
            v = minimum_model_api(zk, args.own)
            # Not above Zuul's either: with Zuul's own components gone (a full restart), a Fingerpost
            # node ahead of them would make Zuul's next components exit as "older than the system".
            ours = own_paths(args.state)
            theirs = [(p, (raw or {}).get("model_api", "missing"))
                      for _k, _n, p, raw in read_components(zk) if p not in ours]
            if v == args.expect and all(api == args.expect for _p, api in theirs):
                print(v)
                return 0
            if time.monotonic() > deadline:
                detail = ", ".join(f"{p}: model_api={api}" for p, api in theirs)
                print(f"{v} (Fingerpost nodes: {detail or 'none'})")
                return 1
            time.sleep(0.2)
    finally:
        zk.stop()
        zk.close()


def cmd_registry_check(args):
    """Assertion 1: every node Fingerpost wrote is a valid Zuul component of its kind at model_api."""
    zk = kazoo_client(args.zk)
    problems, notes = [], []
    try:
        expected = []  # (kind, hostname or None, zone, public_port, use_ssl)
        for spec in args.expect:
            kind, rest = spec.split("=", 1)
            parts = rest.split(",")
            expected.append((kind, parts[0] or None, *(parts[1:] + [None] * 3)[:3]))
        deadline = time.monotonic() + args.timeout
        while True:
            ours = own_paths(args.state)
            nodes = [n for n in read_components(zk) if n[2] not in ours]
            running = [n for n in nodes if n[3] and n[3].get("state") == "running"]
            if all(any(n[0] == kind and (host is None or (n[3] or {}).get("hostname") == host) for n in running)
                   for kind, host, *_ in expected) or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        for kind, host, zone, port, use_ssl in expected:
            match = [n for n in nodes if n[0] == kind and (host is None or (n[3] or {}).get("hostname") == host)]
            if not match:
                problems.append(f"no {kind} node{' for ' + host if host else ''} registered (Fingerpost nodes: "
                                f"{[n[2] for n in nodes]})")
                continue
            if len(match) > 1:
                problems.append(f"{len(match)} {kind} nodes for {host}: {[n[2] for n in match]}")
            for _kind, name, path, raw in match:
                if zone is not None and raw and raw.get("zone") != zone:
                    problems.append(f"{path}: zone {raw.get('zone')!r}, configured {zone!r}")
                if port is not None and raw and raw.get("public_port") != int(port):
                    problems.append(f"{path}: public_port {raw.get('public_port')!r}, configured {port}")
                if use_ssl is not None and raw and raw.get("use_ssl") is not (use_ssl == "true"):
                    problems.append(f"{path}: use_ssl {raw.get('use_ssl')!r}, expected {use_ssl}")
        for kind, name, path, raw in nodes:
            print(f"  Fingerpost node {path}: {json.dumps(raw, sort_keys=True) if raw is not None else 'NOT JSON'}")
            if raw is None:
                problems.append(f"{path}: body is not JSON")
                continue
            if kind not in KINDS:
                problems.append(f"{path}: kind directory {kind!r} is not one of Zuul's {KINDS}")
            required = list(BASE_KEYS) + list(KIND_EXTRA.get(kind, {}))
            missing = [k for k in required if k not in raw]
            if missing:
                problems.append(f"{path}: missing {', '.join(missing)} (Zuul's {kind} component carries "
                                f"{', '.join(required)})")
            api = raw.get("model_api")
            if not isinstance(api, int) or isinstance(api, bool):
                problems.append(f"{path}: model_api {api!r} is not an integer (Zuul counts a missing one as 0)")
            elif api != args.model_api:
                problems.append(f"{path}: model_api {api}, expected {args.model_api}")
            if raw.get("kind") != kind:
                problems.append(f"{path}: kind {raw.get('kind')!r} in the directory of {kind!r}")
            if raw.get("state") not in STATES:
                problems.append(f"{path}: state {raw.get('state')!r} is none of {STATES}")
            hostname = raw.get("hostname")
            if not isinstance(hostname, str) or not hostname or hostname == "localhost" \
                    or hostname.startswith("localhost.") or hostname.startswith("127.") or hostname == "::1":
                problems.append(f"{path}: hostname {hostname!r} is not a name others can reach")
            if isinstance(hostname, str) and not re.fullmatch(re.escape(hostname) + r"[0-9]{10}", name):
                problems.append(f"{path}: node name {name!r} is not <hostname><10-digit sequence> as Zuul's "
                                f"kazoo create(sequence=True) of {COMPONENTS_ROOT}/{kind}/{hostname} names it")
            if kind == "web" and isinstance(hostname, str) and hostname != socket.getfqdn():
                notes.append(f"{path}: web hostname {hostname!r}; Zuul's default would be socket.getfqdn() "
                             f"= {socket.getfqdn()!r}")
        minimum = minimum_model_api(zk, args.model_api)
        print(f"  system minimum model_api (ComponentRegistry.getMinimumModelApi): {minimum}")
        if minimum != args.model_api:
            problems.append(f"Zuul's system minimum model_api is {minimum}, expected {args.model_api}")
    finally:
        zk.stop()
        zk.close()
    for n in notes:
        print("  note: " + n)
    for p in problems:
        print("  problem: " + p)
    return 1 if problems else 0


def cmd_nodes_gone(args):
    """No component node of --kind (and --hostname, if given) other than the fake Zuul's (bounded wait)."""
    zk = kazoo_client(args.zk)
    try:
        deadline = time.monotonic() + args.timeout
        while True:
            left = [p for kind, _n, p, raw in read_components(zk)
                    if kind == args.kind and p not in own_paths(args.state)
                    and (args.hostname is None or (raw or {}).get("hostname") == args.hostname)]
            if not left or time.monotonic() > deadline:
                break
            time.sleep(0.2)
    finally:
        zk.stop()
        zk.close()
    if left:
        print("still registered: " + ", ".join(left))
        return 1
    return 0


def cmd_finger(args):
    """A finger client: request line, then everything until the server closes, into --out."""
    sock = socket.create_connection((args.host, args.port), timeout=args.timeout)
    status = "closed"
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.load_verify_locations(args.tls_ca)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        sock = ctx.wrap_socket(sock, server_hostname=args.sni)
    with open(args.out, "wb") as out:
        try:
            sock.sendall(args.uuid.encode() + b"\n")
            while True:
                data = sock.recv(65536)
                if not data:
                    break
                out.write(data)
                out.flush()
        except ssl.SSLEOFError:
            status = "closed without TLS close_notify"
        except OSError as e:
            status = f"error: {e}"
    write_atomic(args.out + ".status", status)
    return 0


def cmd_console(args):
    """Zuul's console-stream websocket: first message {"uuid", "logfile"}, text until the close."""
    import websocket
    ws = websocket.create_connection(args.url, timeout=args.timeout)
    ws.send(json.dumps({"uuid": args.uuid, "logfile": "console.log"}))
    status = "no close frame"
    binary = 0
    with open(args.out, "wb") as out:
        try:
            while True:
                opcode, frame = ws.recv_data_frame(True)
                if opcode in (websocket.ABNF.OPCODE_TEXT, websocket.ABNF.OPCODE_CONT):
                    out.write(frame.data)
                    out.flush()
                elif opcode == websocket.ABNF.OPCODE_BINARY:
                    binary += 1
                    out.write(frame.data)
                elif opcode == websocket.ABNF.OPCODE_CLOSE:
                    code = struct.unpack("!H", frame.data[:2])[0] if len(frame.data) >= 2 else None
                    status = f"close {code} {frame.data[2:].decode('utf-8', 'replace')}"
                    break
        except Exception as e:  # noqa: BLE001
            status = f"error: {e!r}"
    try:
        ws.close()
    except Exception:  # noqa: BLE001
        pass
    if binary:
        status += f" (and {binary} binary frames: the console stream sends text)"
    write_atomic(args.out + ".status", status)
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)

    z = sub.add_parser("zuul")
    z.add_argument("--zk", required=True)
    z.add_argument("--state", required=True)
    z.add_argument("--scheduler-hostname", required=True)
    z.add_argument("--executor", action="append", default=[], help="zone:hostname:port:job_dir")
    z.add_argument("--tenant", default="example-tenant")
    z.add_argument("--version", default="11.0.0")
    z.add_argument("--model-api", type=int, default=33)
    z.add_argument("--upgrade-version", default="11.1.0")
    z.add_argument("--upgrade-model-api", type=int, default=34)
    z.add_argument("--log-bytes", type=int, default=3 * 1024 * 1024)
    z.add_argument("--grow-seconds", type=float, default=10)
    z.set_defaults(func=cmd_zuul)

    m = sub.add_parser("min-api")
    m.add_argument("--zk", required=True)
    m.add_argument("--own", type=int, required=True, help="the observing component's MODEL_API")
    m.set_defaults(func=cmd_min_api)

    a = sub.add_parser("await-min-api")
    a.add_argument("--zk", required=True)
    a.add_argument("--state", required=True)
    a.add_argument("--own", type=int, required=True)
    a.add_argument("--expect", type=int, required=True)
    a.add_argument("--timeout", type=float, default=30)
    a.set_defaults(func=cmd_await_min_api)

    r = sub.add_parser("registry-check")
    r.add_argument("--zk", required=True)
    r.add_argument("--state", required=True)
    r.add_argument("--model-api", type=int, required=True)
    r.add_argument("--expect", action="append", default=[],
                   help="kind=hostname[,zone,public_port,use_ssl] (empty hostname: any)")
    r.add_argument("--timeout", type=float, default=30)
    r.set_defaults(func=cmd_registry_check)

    g = sub.add_parser("nodes-gone")
    g.add_argument("--zk", required=True)
    g.add_argument("--state", required=True)
    g.add_argument("--kind", required=True)
    g.add_argument("--hostname")
    g.add_argument("--timeout", type=float, default=10)
    g.set_defaults(func=cmd_nodes_gone)

    f = sub.add_parser("finger")
    f.add_argument("--host", required=True)
    f.add_argument("--port", type=int, required=True)
    f.add_argument("--uuid", required=True)
    f.add_argument("--out", required=True)
    f.add_argument("--tls-cert")
    f.add_argument("--tls-key")
    f.add_argument("--tls-ca")
    f.add_argument("--sni")
    f.add_argument("--timeout", type=float, default=60)
    f.set_defaults(func=cmd_finger)

    c = sub.add_parser("console")
    c.add_argument("--url", required=True)
    c.add_argument("--uuid", required=True)
    c.add_argument("--out", required=True)
    c.add_argument("--timeout", type=float, default=60)
    c.set_defaults(func=cmd_console)

    args = p.parse_args()
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("kazoo").setLevel(logging.WARNING)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
