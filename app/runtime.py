"""Wiring: bring both stores up (embedded or configured), migrate, and hand out the
session factory and graph store. One `Runtime` per process."""

from __future__ import annotations

import logging
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from app import migrate, preflight
from app.embedded_postgres import start_embedded_postgres
from app.extractor import build_extractor
from app.settings import Settings, to_sqlalchemy_url
from app.workers.loop import Worker, WorkerThread
from app.workers.sync import SyncWorker
from connectors.sync.service import CRM_ENTITIES, crm_consumers
from core.db import make_engine, make_session_factory
from core.outbox import service as outbox
from graph.embedded import start_embedded_falkordb
from graph.endpoint import GraphBackend, GraphEndpoint
from graph.factory import open_graph_store
from graph.port import GraphStore
from graph.supervisor import GraphSupervisor
from plans.conversations.ingest import Ingestor
from plans.conversations.resume import Resumer
from plans.conversations.service import Limits
from plans.map.projector import GRAPH_CONSUMER, PROJECTORS, GraphProjector
from plans.map.worker import SCORED_ENTITIES, SCORING_CONSUMER, ScoringWorker
from scoring.relationship import RelationshipWeights

logger = logging.getLogger(__name__)

RESUME_POLL_SECONDS = 5.0  # how often the resumer looks for conversations left stored


def subscribe_outbox_consumers() -> None:
    """Who reads the outbox: the graph projector the map's records, the scoring worker
    score requests, each enabled CRM connection what that CRM shows."""
    outbox.subscribe(GRAPH_CONSUMER, PROJECTORS.keys())
    outbox.subscribe(SCORING_CONSUMER, SCORED_ENTITIES)
    outbox.subscribe("crm", CRM_ENTITIES, crm_consumers)


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    graph: GraphStore
    database_url: str
    graph_url: str
    # Set when this process started or joined the embedded FalkorDB.
    graph_supervisor: GraphSupervisor | None = None
    _stack: ExitStack = field(default_factory=ExitStack, repr=False)
    _threads: list[WorkerThread] = field(default_factory=list, repr=False)

    @classmethod
    def start(cls, settings: Settings, *, migrate_database: bool = True) -> Runtime:
        """Start or connect both stores; on any failure stop what was started and re-raise."""
        subscribe_outbox_consumers()
        stack = ExitStack()
        try:
            database_url = settings.sqlalchemy_url
            if database_url is None:
                embedded_pg = start_embedded_postgres(settings.DATA_DIR)
                stack.callback(embedded_pg.stop)
                database_url = to_sqlalchemy_url(embedded_pg.url)
                logger.info("embedded PostgreSQL at %s", embedded_pg.url)
            engine = make_engine(database_url, timeout_seconds=settings.STORE_TIMEOUT_SECONDS)
            stack.callback(engine.dispose)
            preflight.check_database(engine, embedded=settings.sqlalchemy_url is None)
            if migrate_database:
                migrate.upgrade(engine)

            endpoint = settings.graph_endpoint
            supervisor = None
            if endpoint is None:
                embedded_graph = start_embedded_falkordb(
                    settings.DATA_DIR, settings.GRAPH_APPENDFSYNC
                )
                stack.callback(embedded_graph.stop)
                supervisor = GraphSupervisor(embedded_graph)
                supervisor.start()
                stack.callback(supervisor.stop)  # runs first: stopping is not a death
                endpoint = GraphEndpoint(
                    backend=GraphBackend.FALKORDB,
                    url=embedded_graph.url,
                    host=embedded_graph.host,
                    port=embedded_graph.port,
                )
                logger.info("embedded FalkorDB at %s", embedded_graph.url)
            graph = open_graph_store(endpoint, settings.graph_name, settings.STORE_TIMEOUT_SECONDS)
            stack.callback(graph.close)
            preflight.check_graph(graph)
            try:
                graph.ensure_schema()
            except Exception as exc:  # a graph outage must not stop the API from starting
                logger.warning("graph schema not ensured yet: %s", exc)
            return cls(
                settings=settings,
                engine=engine,
                session_factory=make_session_factory(engine),
                graph=graph,
                database_url=database_url,
                graph_url=endpoint.url,
                graph_supervisor=supervisor,
                _stack=stack,
            )
        except BaseException:
            stack.close()
            raise

    @cached_property
    def ingestor(self) -> Ingestor:
        limits = Limits(
            max_chars=self.settings.MAX_CONVERSATION_CHARS,
            max_turns=self.settings.MAX_CONVERSATION_TURNS,
            max_participants=self.settings.MAX_PARTICIPANTS,
        )
        return Ingestor(self.session_factory, build_extractor(self.settings), limits)

    def projector(self) -> GraphProjector:
        return GraphProjector(
            self.session_factory, self.graph, batch_size=self.settings.PROJECTOR_BATCH_SIZE
        )

    @property
    def relationship_weights(self) -> RelationshipWeights:
        return RelationshipWeights(
            frequency=self.settings.RELATIONSHIP_WEIGHT_FREQUENCY,
            engagement=self.settings.RELATIONSHIP_WEIGHT_ENGAGEMENT,
            trust=self.settings.RELATIONSHIP_WEIGHT_TRUST,
            half_life_days=self.settings.RELATIONSHIP_HALF_LIFE_DAYS,
        )

    def scoring_worker(self) -> ScoringWorker:
        return ScoringWorker(
            self.session_factory, self.relationship_weights, self.settings.PROJECTOR_BATCH_SIZE
        )

    def workers(self) -> list[Worker]:
        """In order: scores first (they ask for a graph re-projection), then the graph."""
        return [self.scoring_worker(), self.projector()]

    def drain(self, max_rounds: int = 1_000) -> int:
        """Run every outbox worker until none has anything left to do."""
        workers, total = self.workers(), 0
        for _ in range(max_rounds):
            handled = sum(worker.run_once() for worker in workers)
            if handled == 0:
                break
            total += handled
        return total

    @cached_property
    def sync_worker(self) -> SyncWorker:
        return SyncWorker(self.session_factory, self.settings)

    def resumer(self) -> Resumer:
        after = timedelta(seconds=self.settings.RESUME_STORED_AFTER_SECONDS)
        return Resumer(self.ingestor, after)

    def start_background_workers(self) -> None:
        """Background threads (what `worker` runs, and `serve` beside the API): the outbox
        workers; apart, as their calls are slow, the CRM sync and the resumer of
        conversations left stored. Any number of processes may run them at once: each
        outbox row, score recomputation, sync run and conversation is taken by one."""
        if self._threads:
            return
        self._threads = [
            WorkerThread("outbox-workers", self.workers(), self.settings.PROJECTOR_POLL_SECONDS),
            WorkerThread("crm-sync", [self.sync_worker], poll_seconds=1.0),
            WorkerThread("resume-stored", [self.resumer()], RESUME_POLL_SECONDS),
        ]
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        """Stop the background threads first, then the stores in reverse order of starting."""
        for thread in reversed(self._threads):
            thread.stop()
        self._threads = []
        if "sync_worker" in self.__dict__:
            self.sync_worker.close()
        self._stack.close()

    def __enter__(self) -> Runtime:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
