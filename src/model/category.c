/* category.c: the default category rules (listed in category.h) and the glob overrides. */
#include "category.h"

#include <fnmatch.h>
#include <string.h>

#include "walk.h"

#define MAX_NAME 256

static const char *const test_dirs[] = {"tests", "test", NULL};
static const char *const test_files[] = {"test_*.py", "*_test.py", "tests.py", "conftest.py", NULL};
static const char *const infra_dirs[] = {"alembic", "migrations", "models", "model",
                                         "db",      "database",   NULL};
static const char *const infra_files[] = {"db.py",     "database.py", "session.py",
                                          "engine.py", "config.py",   "settings.py",
                                          "models.py", "model*.py",   NULL};
static const char *const route_dirs[] = {"routes",    "routers", "router", "api",
                                         "endpoints", "views",   NULL};
static const char *const service_dirs[] = {"services",   "service", "repositories",
                                           "repository", "repos",   "repo",
                                           "workers",    "worker",  NULL};
static const char *const service_files[] = {
    "*service*.py",    "repo.py",   "repository.py", "repositories.py", "*_repo.py",
    "*_repository.py", "worker.py", "workers.py",    "*_worker.py",     NULL};
static const char *const route_files[] = {NULL};

static bool in_list(const char *const *list, const char *name)
{
    for (; *list; list++)
        if (fnmatch(*list, name, FNM_CASEFOLD) == 0) return true;
    return false;
}

/* True when a folder of rel (not the file itself) is in dirs, or the file name is in files. */
static bool matches(const char *rel, const char *const *dirs, const char *const *files)
{
    char part[MAX_NAME];
    const char *s = rel;
    for (const char *slash; (slash = strchr(s, '/')) != NULL; s = slash + 1) {
        size_t n = (size_t)(slash - s);
        if (n == 0 || n >= sizeof part) continue;
        memcpy(part, s, n);
        part[n] = '\0';
        if (in_list(dirs, part)) return true;
    }
    return in_list(files, s);
}

FileCategory cat_infer(const char *rel)
{
    if (matches(rel, test_dirs, test_files)) return FCAT_TESTS;
    if (matches(rel, infra_dirs, infra_files)) return FCAT_INFRA;
    if (matches(rel, route_dirs, route_files)) return FCAT_ROUTES;
    if (matches(rel, service_dirs, service_files)) return FCAT_SERVICES;
    return FCAT_OTHER;
}

FileCategory cat_classify(const char *rel, const CatOverrides *ov, bool *overridden)
{
    *overridden = false;
    for (int c = 0; ov && c < FCAT__COUNT; c++) {
        for (uint32_t i = 0; i < ov->nglobs[c]; i++) {
            if (walk_glob_match(ov->globs[c][i], rel)) {
                *overridden = true;
                return (FileCategory)c;
            }
        }
    }
    return cat_infer(rel);
}

FileCategory cat_upgrade_routes(FileCategory c, bool overridden, bool has_route_handlers)
{
    if (overridden || !has_route_handlers || c == FCAT_TESTS || c == FCAT_INFRA) return c;
    return FCAT_ROUTES;
}

const char *cat_name(FileCategory c)
{
    static const char *const names[] = {"services", "routes", "tests", "infra", "other"};
    return (unsigned)c < FCAT__COUNT ? names[c] : "other";
}

const char *cat_title(FileCategory c)
{
    static const char *const titles[] = {"Services", "API routes", "Tests", "Infrastructure",
                                         "Other"};
    return (unsigned)c < FCAT__COUNT ? titles[c] : "Other";
}

bool cat_parse(const char *name, FileCategory *out)
{
    static const struct {
        const char *name;
        FileCategory c;
    } keys[] = {{"services", FCAT_SERVICES}, {"routes", FCAT_ROUTES},
                {"api", FCAT_ROUTES},        {"tests", FCAT_TESTS},
                {"infra", FCAT_INFRA},       {"infrastructure", FCAT_INFRA},
                {"other", FCAT_OTHER}};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (strcmp(name, keys[i].name) == 0) {
            *out = keys[i].c;
            return true;
        }
    }
    return false;
}
