/* Unit tests for src/model/category: default inference, overrides, the route upgrade. */
#include "test.h"

#include "model/category.h"

static const char *infer(const char *rel)
{
    return cat_name(cat_infer(rel));
}

static void test_defaults(void)
{
    CHECK_STR(infer("tests/test_user.py"), "tests");
    CHECK_STR(infer("app/tests/helpers.py"), "tests");
    CHECK_STR(infer("test/util.py"), "tests");
    CHECK_STR(infer("app/services/test_queue.py"), "tests");
    CHECK_STR(infer("app/queue_test.py"), "tests");
    CHECK_STR(infer("conftest.py"), "tests");
    CHECK_STR(infer("tests/services/user_service.py"), "tests");

    CHECK_STR(infer("alembic/env.py"), "infra");
    CHECK_STR(infer("app/migrations/versions/0001_init.py"), "infra");
    CHECK_STR(infer("app/db.py"), "infra");
    CHECK_STR(infer("app/database.py"), "infra");
    CHECK_STR(infer("app/core/session.py"), "infra");
    CHECK_STR(infer("app/engine.py"), "infra");
    CHECK_STR(infer("app/config.py"), "infra");
    CHECK_STR(infer("settings.py"), "infra");
    CHECK_STR(infer("app/models.py"), "infra");
    CHECK_STR(infer("app/model_base.py"), "infra");
    CHECK_STR(infer("app/models/user.py"), "infra");
    CHECK_STR(infer("app/db/base.py"), "infra");
    CHECK_STR(infer("app/services/database.py"), "infra");

    CHECK_STR(infer("app/api/users.py"), "routes");
    CHECK_STR(infer("app/routers/items.py"), "routes");
    CHECK_STR(infer("app/routes.py"), "other"); /* a file name alone is not enough */
    CHECK_STR(infer("web/views/home.py"), "routes");
    CHECK_STR(infer("app/api/v1/endpoints/jobs.py"), "routes");

    CHECK_STR(infer("app/services/queue.py"), "services");
    CHECK_STR(infer("app/user_service.py"), "services");
    CHECK_STR(infer("app/servicebus.py"), "services");
    CHECK_STR(infer("app/repositories/user.py"), "services");
    CHECK_STR(infer("app/user_repository.py"), "services");
    CHECK_STR(infer("app/repo.py"), "services");
    CHECK_STR(infer("app/report.py"), "other"); /* not a repository */
    CHECK_STR(infer("worker.py"), "services");
    CHECK_STR(infer("app/workers/loop.py"), "services");
    CHECK_STR(infer("app/Services/Queue.py"), "services");

    CHECK_STR(infer("app/main.py"), "other");
    CHECK_STR(infer("scripts/seed.py"), "other");
    CHECK_STR(infer("main.py"), "other");
}

static void test_overrides(void)
{
    const char *const services[] = {"app/core/**"};
    const char *const routes[] = {"app/web/*.py"};
    const char *const other[] = {"scripts", "app/core/legacy.py"};
    CatOverrides ov = {{services, routes, NULL, NULL, other}, {1, 1, 0, 0, 2}};
    bool over;
    CHECK(cat_classify("app/core/legacy.py", &ov, &over) == FCAT_SERVICES && over);
    CHECK(cat_classify("app/web/home.py", &ov, &over) == FCAT_ROUTES && over);
    CHECK(cat_classify("scripts/db.py", &ov, &over) == FCAT_OTHER && over);
    CHECK(cat_classify("app/db.py", &ov, &over) == FCAT_INFRA && !over);
    CHECK(cat_classify("app/db.py", NULL, &over) == FCAT_INFRA && !over);
}

static void test_upgrade_and_names(void)
{
    CHECK(cat_upgrade_routes(FCAT_OTHER, false, true) == FCAT_ROUTES);
    CHECK(cat_upgrade_routes(FCAT_SERVICES, false, true) == FCAT_ROUTES);
    CHECK(cat_upgrade_routes(FCAT_TESTS, false, true) == FCAT_TESTS);
    CHECK(cat_upgrade_routes(FCAT_INFRA, false, true) == FCAT_INFRA);
    CHECK(cat_upgrade_routes(FCAT_OTHER, true, true) == FCAT_OTHER);
    CHECK(cat_upgrade_routes(FCAT_OTHER, false, false) == FCAT_OTHER);
    FileCategory c;
    CHECK(cat_parse("infra", &c) && c == FCAT_INFRA);
    CHECK(cat_parse("infrastructure", &c) && c == FCAT_INFRA);
    CHECK(cat_parse("routes", &c) && c == FCAT_ROUTES);
    CHECK(!cat_parse("Routes", &c));
    CHECK_STR(cat_title(FCAT_ROUTES), "API routes");
    CHECK_STR(cat_name(FCAT__COUNT), "other");
}

int main(void)
{
    test_defaults();
    test_overrides();
    test_upgrade_and_names();
    return test_report("category");
}
