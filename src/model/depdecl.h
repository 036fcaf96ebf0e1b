/* depdecl: what a project declares about its dependencies and its pytest-asyncio mode.
 *
 * dep_scan() reads the configuration files the walk collected and records every declaration of
 * the packages an async migration cares about (SQLAlchemy and its extras, greenlet, async and
 * sync database drivers, pytest-asyncio, Alembic), each with file:line evidence:
 *   - pyproject.toml: [project] dependencies, [project.optional-dependencies],
 *     [dependency-groups], [tool.poetry.dependencies], [tool.poetry.dev-dependencies],
 *     [tool.poetry.group.<name>.dependencies], [tool.pdm.dev-dependencies];
 *   - requirements*.txt: one requirement per line, `-r`/`--requirement` includes followed
 *     relative to the including file (each file read once), comments, options and URLs ignored;
 *   - setup.cfg: [options] install_requires and [options.extras_require].
 * It also finds pytest-asyncio's `asyncio_mode` the way pytest picks its configuration: in the
 * shallowest folder holding one, pytest.ini [pytest], then pyproject.toml
 * [tool.pytest.ini_options], then tox.ini [pytest], then setup.cfg [tool:pytest]; the key
 * `asyncio_mode` or `--asyncio-mode=` in addopts. Unset means pytest-asyncio's default, strict.
 *
 * Problems (bad TOML, a missing include) are kept as messages, never fatal. Memory: a DepScan
 * owns everything in it (its arena and vectors) until dep_free(). Nothing is printed. */
#ifndef DEPDECL_H
#define DEPDECL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/vec.h"
#include "walk.h"

#define DEP_KINDS(X)                                                        \
    X(SQLALCHEMY, "sqlalchemy", DEP_CORE)                                   \
    X(GREENLET, "greenlet", DEP_CORE)                                       \
    X(ASYNCPG, "asyncpg", DEP_ASYNC_DRIVER)                                 \
    X(AIOSQLITE, "aiosqlite", DEP_ASYNC_DRIVER)                             \
    X(AIOMYSQL, "aiomysql", DEP_ASYNC_DRIVER)                               \
    X(ASYNCMY, "asyncmy", DEP_ASYNC_DRIVER)                                 \
    X(PSYCOPG, "psycopg", DEP_ASYNC_DRIVER) /* psycopg 3: sync and async */ \
    X(ORACLEDB, "oracledb", DEP_ASYNC_DRIVER)                               \
    X(PSYCOPG2, "psycopg2", DEP_SYNC_DRIVER)                                \
    X(PYMYSQL, "pymysql", DEP_SYNC_DRIVER)                                  \
    X(MYSQLCLIENT, "mysqlclient", DEP_SYNC_DRIVER)                          \
    X(CX_ORACLE, "cx-oracle", DEP_SYNC_DRIVER)                              \
    X(PYTEST_ASYNCIO, "pytest-asyncio", DEP_TESTING)                        \
    X(ALEMBIC, "alembic", DEP_CORE)

typedef enum {
#define X(up, name, role) DEP_##up,
    DEP_KINDS(X)
#undef X
        DEP__COUNT
} DepKind;

typedef enum { DEP_CORE, DEP_ASYNC_DRIVER, DEP_SYNC_DRIVER, DEP_TESTING } DepRole;

typedef struct DepDecl {
    DepKind kind;
    const char *name;   /* as written: "SQLAlchemy", "psycopg2-binary" */
    const char *extras; /* as written, comma-separated without spaces: "asyncio"; "" for none */
    const char *spec;   /* version part as written: ">=2.0,<3", "^2.0"; "" for none */
    const char *file;   /* display path of the file */
    uint32_t line;      /* 1-based */
    const char *where;  /* "[project] dependencies", "[project.optional-dependencies] dev",
                           "[tool.poetry.dependencies]", "requirements", "[options]
                           install_requires", ... */
} DepDecl;

typedef struct DepAsyncioMode {
    const char *mode;   /* "strict", "auto" (as written, lowercased), or "strict" by default */
    bool is_default;    /* not set: pytest-asyncio's default */
    const char *config; /* the pytest configuration file read, or NULL when there is none */
    const char *file;   /* where the mode is set, or NULL */
    uint32_t line;
} DepAsyncioMode;

typedef struct DepScan {
    Arena arena;        /* owns every string below */
    Vec(DepDecl) decls; /* sorted by file, then line */
    DepAsyncioMode asyncio_mode;
    Vec(const char *) problems; /* "path:line:col: message" or "path:line: message" */
} DepScan;

/* One requirement string (PEP 508, or a Poetry key), split. */
typedef struct DepReq {
    char name[128];
    char extras[128];
    char spec[160];
} DepReq;

/* Scans configs[0..n) (WalkFile.kind tells each file's format). Never fails. */
void dep_scan(DepScan *out, const WalkFile *configs, uint32_t n);
void dep_free(DepScan *s);

/* Splits "SQLAlchemy[asyncio] >=2.0 ; python_version>'3.8'  # note": false when no name. */
bool dep_parse_req(const char *text, DepReq *out);
/* The tracked kind of a distribution name (case, '-', '_', '.' ignored; "psycopg2-binary" is
 * psycopg2, "psycopg-binary" is psycopg); DEP__COUNT when not tracked. */
DepKind dep_kind_of(const char *name);
const char *dep_name(DepKind k); /* canonical name: "sqlalchemy", "cx-oracle" */
DepRole dep_role(DepKind k);
/* The first declaration of a kind, or NULL. */
const DepDecl *dep_find(const DepScan *s, DepKind k);
/* True when extras (comma-separated) names e ('-' and '_' alike, case ignored). */
bool dep_has_extra(const DepDecl *d, const char *e);
/* greenlet is declared directly, or through a SQLAlchemy extra that pulls it in (asyncio,
 * postgresql_asyncpg, aiosqlite, aiomysql, asyncmy, aioodbc). *evidence: the declaration. */
bool dep_greenlet_declared(const DepScan *s, const DepDecl **evidence);

#endif
