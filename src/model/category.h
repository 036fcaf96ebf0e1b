/* category: which part of an application a file belongs to (the report's "scope by category").
 *
 * Five categories: services, routes (API routes), tests, infra (infrastructure: the database
 * layer, models, migrations, settings) and other. cat_infer() guesses from the path alone, with
 * these rules, checked in this order (names compare case-insensitively; see docs/categories.md):
 *
 *   tests    a folder named tests/test on the path, or a file named test_*.py, *_test.py,
 *            tests.py or conftest.py
 *   infra    a folder alembic/migrations/models/model/db/database on the path (so Alembic's env.py
 *            and versions), or a file named db.py, database.py, session.py, engine.py, config.py,
 *            settings.py, models.py or model*.py
 *   routes   a folder routes/routers/router/api/endpoints/views on the path
 *   services a folder services/service/repositories/repository/repos/repo/workers/worker on the
 *            path, or a file named *service*.py, repo.py, repository.py, *_repo.py,
 *            *_repository.py, repositories.py, worker.py, workers.py or *_worker.py
 *   other    everything else
 *
 * A file that defines FastAPI/Flask route handlers belongs to routes whatever its path, unless it
 * is a test or infrastructure: the facts pass knows that, and calls cat_upgrade_routes().
 * `[tool.sqlasync.categories]` overrides the guess with globs per category (matched as exclude
 * globs are, walk_glob_match); the first category with a matching glob, in the order services,
 * routes, tests, infra, other, wins, and the facts pass no longer changes it.
 *
 * Pure functions: no state, no allocation, nothing printed. */
#ifndef CATEGORY_H
#define CATEGORY_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    FCAT_SERVICES,
    FCAT_ROUTES,
    FCAT_TESTS,
    FCAT_INFRA,
    FCAT_OTHER,
    FCAT__COUNT
} FileCategory;

/* Globs per category from the configuration; each array is owned by whoever built it. */
typedef struct CatOverrides {
    const char *const *globs[FCAT__COUNT];
    uint32_t nglobs[FCAT__COUNT];
} CatOverrides;

/* The category of a file from its path relative to the root ('/'-separated). */
FileCategory cat_infer(const char *rel);
/* cat_infer, unless a glob in ov (may be NULL) matches; *overridden tells which happened. */
FileCategory cat_classify(const char *rel, const CatOverrides *ov, bool *overridden);
/* The category once the facts pass knows whether the file defines route handlers. */
FileCategory cat_upgrade_routes(FileCategory c, bool overridden, bool has_route_handlers);

const char *cat_name(FileCategory c);  /* "services", "routes", "tests", "infra", "other" */
const char *cat_title(FileCategory c); /* "Services", "API routes", "Tests", ... */
/* Parses a configuration key ("services", ..., also "infrastructure" and "api"). */
bool cat_parse(const char *name, FileCategory *out);

#endif
