/* symbols: the project symbol table, for the whole-program passes.
 *
 * sym_build() indexes every parsed file of a Program by absolute dotted name: modules
 * ("jobboard.services.jobs"), module-level functions and classes ("...jobs.JobService"), methods
 * ("...jobs.JobService.cancel"), module-level variables (`service = Service(db)`: singletons and
 * other assignments, kept with their value node so that a later pass can type them) and
 * module-level imports as aliases ("jobboard.models.Job" -> "jobboard.models.job.Job", which
 * covers re-exports from a package's __init__.py). Each class gets its bases resolved through
 * the table and an MRO computed by a simple depth-first walk of the resolved bases (itself first;
 * a base outside the project sets external_base). Lookups follow aliases and step into class
 * members through the MRO; a name none of whose prefixes is a project module or name is
 * SR_EXTERNAL (`sqlalchemy.orm.Session`, `os.path.join` when the stdlib is not analysed).
 *
 * Function ids are global: sym_func_id(file, func) = func_base[file] + func, in Program file
 * order, so the same Program always gives the same ids. Class ids likewise (class_base).
 *
 * Memory: the SymTable and everything in it live in the arena given to sym_build; it borrows the
 * Program and the facts (which must outlive it). Lookups never allocate, never print and keep no
 * state, so a built table may be read from several threads. A per-class attribute map (attribute
 * -> type, filled by the call-graph pass) is the one thing written after the build. */
#ifndef SYMBOLS_H
#define SYMBOLS_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/arena.h"
#include "facts.h"
#include "project.h"

typedef enum {
    SR_NONE,     /* not found, although a prefix is project code */
    SR_MODULE,   /* id: Program file index */
    SR_FUNC,     /* id: global function id */
    SR_CLASS,    /* id: class id */
    SR_VAR,      /* id: index into vars: a module-level variable */
    SR_ALIAS,    /* id: index into alias targets (never returned by lookups) */
    SR_EXTERNAL, /* outside the project */
} SymRefKind;

typedef struct SymRef {
    uint8_t kind; /* SymRefKind */
    int32_t id;
} SymRef;

/* What a value is, as far as the passes can tell (types of expressions, attributes, variables). */
typedef enum {
    SV_UNKNOWN,
    SV_EXTERNAL, /* an object of a library or builtin type */
    SV_MODULE,   /* id: Program file index */
    SV_CLASS,    /* id: class id; the class object itself */
    SV_INSTANCE, /* id: class id; an instance of it */
    SV_FUNC,     /* id: global function id; a function or bound method */
    SV_SESSION,  /* a SQLAlchemy session (id: FxMode) */
} SymValKind;

typedef struct SymVal {
    uint8_t kind; /* SymValKind */
    int32_t id;
} SymVal;

typedef struct SymClass {
    const char *name; /* absolute: "jobboard.services.jobs.JobService" */
    uint32_t name_len;
    uint32_t member_hash; /* of name "." in the name map: where member lookups start */
    uint32_t file;        /* Program file index */
    uint32_t cls;         /* index into that file's classes */
    int32_t *bases;       /* class ids of the bases found in the project */
    uint32_t nbases;
    int32_t *mro; /* class ids, itself first, depth-first over bases, no repeats */
    uint32_t nmro;
    bool external_base; /* some base (or a base's base) is not a project class */
    int32_t *subs;      /* class ids of the direct subclasses found in the project */
    uint32_t nsubs;
} SymClass;

typedef struct SymVar {
    const char *name; /* absolute: "app.services.service" */
    uint32_t file;
    const Node *value;      /* the assigned expression, or NULL (annotation only) */
    const Node *annotation; /* or NULL */
    uint32_t line;
} SymVar;

typedef struct SymMap SymMap; /* private: string-keyed open addressing */

typedef struct SymTable {
    const Program *prog;
    FileFacts *const *facts; /* per Program file; NULL when not parsed */
    uint32_t nfiles;
    uint32_t *func_base; /* nfiles + 1 entries */
    uint32_t nfuncs;
    int32_t *func_class;  /* per function id: class id of a method, or -1 */
    uint32_t *func_file;  /* per function id: its file */
    uint32_t *class_base; /* nfiles + 1 entries */
    SymClass *classes;
    uint32_t nclasses;
    SymVar *vars;
    uint32_t nvars;
    const char **alias_target; /* per alias id: the absolute target */
    uint32_t naliases;
    SymMap *names;          /* absolute name -> SymRef */
    SymMap *attrs;          /* "<class id>.attr" -> SymVal */
    SymMap *simple;         /* last component of every function and class name -> presence */
    uint32_t *scope_hash;   /* per file: hash of its module name and "." (module-level lookups) */
    uint32_t *scope_len;    /* per file: strlen of its module name */
    const FxImport **stars; /* module-level star imports, file by file */
    uint32_t *star_base;    /* nfiles + 1 entries: file f's are stars[star_base[f] ..] */
    Arena *arena;
} SymTable;

SymTable *sym_build(const Program *prog, FileFacts *const *facts, Arena *a);

int32_t sym_func_id(const SymTable *st, uint32_t file, int32_t func); /* -1 for func < 0 */
int32_t sym_class_id(const SymTable *st, uint32_t file, int32_t cls);
const FxFunc *sym_func(const SymTable *st, int32_t id);
const FxClass *sym_class_facts(const SymTable *st, int32_t id);
/* The dotted module name of a file ("" when unknown). */
const char *sym_module(const SymTable *st, uint32_t file);

/* An absolute dotted name: aliases followed, class members found through the MRO. A module-level
 * variable is returned as SR_VAR (members of variables are for the caller to type). */
SymRef sym_lookup(const SymTable *st, const char *abs);
/* A name at module scope of a file: its definitions, variables and imports, then its star
 * imports. SR_NONE when the file does not bind it (builtins are not considered here). */
SymRef sym_scope(const SymTable *st, uint32_t file, const char *name);
/* A member of a module (its scope, as above) or of a class (methods and nested classes through
 * the MRO; SR_EXTERNAL when not found and a base is outside the project). */
SymRef sym_member(const SymTable *st, SymRef of, const char *name);
/* A dotted name as written at module scope of file (an annotation, a base class). */
SymRef sym_resolve_text(const SymTable *st, uint32_t file, const char *dotted);
/* The method `name` of class cls through its MRO: a function id, or -1. */
int32_t sym_method(const SymTable *st, int32_t cls, const char *name);
/* The methods `name` defined by subclasses of cls (any depth, breadth first), for a call on
 * `self` whose method only subclasses define: up to max function ids in out; returns how many. */
uint32_t sym_overrides(const SymTable *st, int32_t cls, const char *name, int32_t *out,
                       uint32_t max);
/* True when some project function or class has this (last-component) name. */
bool sym_is_project_name(const SymTable *st, const char *name);
/* True when name is a Python builtin (len, print, dict, ...). */
bool sym_is_builtin(const char *name);

/* Attribute types per class (as assigned on self); lookups go through the MRO. */
SymVal sym_attr(const SymTable *st, int32_t cls, const char *attr);
/* Sets the type of an attribute unless one is known; returns true when it was set. */
bool sym_attr_set(SymTable *st, int32_t cls, const char *attr, SymVal v);

#endif
