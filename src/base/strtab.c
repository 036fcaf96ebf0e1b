#include "strtab.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

typedef struct Entry {
    uint32_t hash, len;
    char *s;
} Entry;

static Entry *slots;
static uint32_t nslots, nused;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void rehash(void)
{
    uint32_t old_n = nslots;
    Entry *old = slots;
    nslots = old_n ? old_n * 2 : 1024;
    slots = xcalloc(nslots, sizeof *slots);
    for (uint32_t i = 0; i < old_n; i++) {
        if (!old[i].s) continue;
        uint32_t j = old[i].hash & (nslots - 1);
        while (slots[j].s)
            j = (j + 1) & (nslots - 1);
        slots[j] = old[i];
    }
    free(old);
}

static Str lookup_or_add(const char *s, size_t n, uint32_t h)
{
    if ((nused + 1) * 2 > nslots) rehash();
    uint32_t j = h & (nslots - 1);
    while (slots[j].s) {
        if (slots[j].hash == h && slots[j].len == n && memcmp(slots[j].s, s, n) == 0)
            return slots[j].s;
        j = (j + 1) & (nslots - 1);
    }
    char *copy = xmalloc(n + sizeof(uint32_t) + 1);
    memcpy(copy, &n, sizeof(uint32_t)); /* length prefix for str_len */
    copy += sizeof(uint32_t);
    memcpy(copy, s, n);
    copy[n] = '\0';
    slots[j] = (Entry){h, (uint32_t)n, copy};
    nused++;
    return copy;
}

Str str_intern(const char *s, size_t n)
{
    uint32_t h = hash_bytes(s, n);
    pthread_mutex_lock(&lock);
    Str r = lookup_or_add(s, n, h);
    pthread_mutex_unlock(&lock);
    return r;
}

Str str_intern_c(const char *s)
{
    return str_intern(s, strlen(s));
}

size_t str_len(Str s)
{
    uint32_t n;
    memcpy(&n, s - sizeof(uint32_t), sizeof n);
    return n;
}

void str_table_free(void)
{
    for (uint32_t i = 0; i < nslots; i++)
        if (slots[i].s) free(slots[i].s - sizeof(uint32_t));
    free(slots);
    slots = NULL;
    nslots = nused = 0;
}
