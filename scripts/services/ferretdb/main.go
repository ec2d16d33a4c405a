// Command ferretdb-server runs FerretDB v1 (a MongoDB wire-protocol server storing into PostgreSQL) for the
// integration tests, started and stopped by scripts/services/ferretdb.sh.
//
// Why our own program rather than the upstream CLI: `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2`
// fails here (the module proxy refuses the version list it needs), and the upstream CLI built any other way panics
// on a missing build/version/version.txt. The embeddable package github.com/FerretDB/FerretDB/ferretdb needs
// neither, builds from go.mod/go.sum alone, and is all we need: one TCP listener and the PostgreSQL backend.
//
// Flags (each with an environment variable as default):
//
//	-listen      FERRETDB_LISTEN_ADDR     TCP address to listen on (127.0.0.1:27017)
//	-postgresql  FERRETDB_POSTGRESQL_URL  backend database, which must exist (postgres://postgres@127.0.0.1:5433/ferretdb)
//	-log-level   FERRETDB_LOG_LEVEL       debug, info, warn or error (info)
//
// It stops cleanly on SIGTERM or SIGINT: the listener closes, open connections end, the backend pool closes.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func main() {
	listen := flag.String("listen", envOr("FERRETDB_LISTEN_ADDR", "127.0.0.1:27017"), "TCP address to listen on")
	pgURL := flag.String("postgresql", envOr("FERRETDB_POSTGRESQL_URL", "postgres://postgres@127.0.0.1:5433/ferretdb"),
		"PostgreSQL URL of the backend database (it must exist)")
	logLevel := flag.String("log-level", envOr("FERRETDB_LOG_LEVEL", "info"), "debug, info, warn or error")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-server: bad log level %q: %v\n", *logLevel, err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	// New binds the listener, so an address already in use fails here, before anything runs.
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: *listen},
		Handler:       "postgresql",
		PostgreSQLURL: *pgURL,
		Logger:        logger,
	})
	if err != nil {
		logger.Error("ferretdb-server: cannot start", "error", err)
		os.Exit(1)
	}

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	// MongoDBURI waits until the listener is bound; the backend is only reached on the first command, so
	// readiness is a driver command (scripts/services/probes/ferretdb.mjs), not this line.
	logger.Info("ferretdb-server: listening", "uri", f.MongoDBURI(), "backend", "postgresql")

	if err := <-done; err != nil {
		logger.Error("ferretdb-server: stopped with an error", "error", err)
		os.Exit(1)
	}
	logger.Info("ferretdb-server: stopped")
}
