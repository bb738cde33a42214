/* frame_ring.c - the ring of decoded frames between a decoder thread and its consumer
 * (pipeline.h).
 *
 * One mutex and two condition variables; the producer owns the slot after the queued ones until
 * it publishes it, the consumer owns the queued ones until it releases them, so neither copies a
 * frame. Errors travel both ways: the producer's end status (with its message: hc_last_error is
 * per thread) reaches the consumer once the frames before it are used; the consumer's stop wakes
 * a producer out of its wait for a slot. */
#define _POSIX_C_SOURCE 200809L
#include "pipeline/pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum hc_status frame_ring_init(struct frame_ring *r, int n_slots)
{
    memset(r, 0, sizeof *r);
    r->n_slots = n_slots < 1 ? 1 : n_slots > FRAME_RING_MAX_SLOTS ? FRAME_RING_MAX_SLOTS : n_slots;
    if (pthread_mutex_init(&r->mu, NULL) != 0)
        return hc_fail(HC_ERR_INTERNAL, "pipeline: cannot create a mutex");
    if (pthread_cond_init(&r->cv_frame, NULL) != 0) {
        pthread_mutex_destroy(&r->mu);
        return hc_fail(HC_ERR_INTERNAL, "pipeline: cannot create a condition variable");
    }
    if (pthread_cond_init(&r->cv_space, NULL) != 0) {
        pthread_cond_destroy(&r->cv_frame);
        pthread_mutex_destroy(&r->mu);
        return hc_fail(HC_ERR_INTERNAL, "pipeline: cannot create a condition variable");
    }
    return HC_OK;
}

void frame_ring_destroy(struct frame_ring *r)
{
    for (int i = 0; i < FRAME_RING_MAX_SLOTS; i++)
        free(r->slots[i].rgb);
    pthread_cond_destroy(&r->cv_space);
    pthread_cond_destroy(&r->cv_frame);
    pthread_mutex_destroy(&r->mu);
}

struct frame_ring_slot *frame_ring_acquire(struct frame_ring *r)
{
    pthread_mutex_lock(&r->mu);
    if (r->count == r->n_slots && !r->stop) {
        const double t0 = hc_now_s();
        while (r->count == r->n_slots && !r->stop)
            pthread_cond_wait(&r->cv_space, &r->mu);
        r->wait_space_s += hc_now_s() - t0;
    }
    struct frame_ring_slot *s = r->stop ? NULL : &r->slots[(r->head + r->count) % r->n_slots];
    pthread_mutex_unlock(&r->mu);
    return s;
}

enum hc_status frame_ring_decode(struct frame_ring_slot *s, struct video_decoder *dec)
{
    int stride = 0;
    const size_t need = video_decoder_frame_bytes(dec, &stride);
    if (need > s->cap) {
        uint8_t *p = realloc(s->rgb, need);
        if (!p)
            return hc_fail(HC_ERR_NOMEM, "video: out of memory for a %zu-byte frame buffer",
                           need);
        s->rgb = p;
        s->cap = need;
    }
    return video_decoder_next_into(dec, s->rgb, stride, &s->vf);
}

void frame_ring_publish(struct frame_ring *r)
{
    pthread_mutex_lock(&r->mu);
    r->count++;
    pthread_cond_signal(&r->cv_frame);
    pthread_mutex_unlock(&r->mu);
}

void frame_ring_finish(struct frame_ring *r, enum hc_status st)
{
    const double cpu = hc_thread_cpu_s();
    pthread_mutex_lock(&r->mu);
    r->producer_cpu_s = cpu;
    r->finished = 1;
    r->end_st = st;
    snprintf(r->end_msg, sizeof r->end_msg, "%s", st == HC_OK ? "" : hc_last_error());
    pthread_cond_broadcast(&r->cv_frame);
    pthread_mutex_unlock(&r->mu);
}

struct frame_ring_slot *frame_ring_peek(struct frame_ring *r)
{
    pthread_mutex_lock(&r->mu);
    if (r->count == 0 && !r->finished) {
        const double t0 = hc_now_s();
        while (r->count == 0 && !r->finished)
            pthread_cond_wait(&r->cv_frame, &r->mu);
        r->wait_frame_s += hc_now_s() - t0;
    }
    struct frame_ring_slot *s = r->count > 0 ? &r->slots[r->head] : NULL;
    pthread_mutex_unlock(&r->mu);
    return s;
}

void frame_ring_release(struct frame_ring *r)
{
    pthread_mutex_lock(&r->mu);
    r->head = (r->head + 1) % r->n_slots;
    r->count--;
    pthread_cond_signal(&r->cv_space);
    pthread_mutex_unlock(&r->mu);
}

enum hc_status frame_ring_end_status(const struct frame_ring *r)
{
    if (r->end_st == HC_OK)
        return HC_OK;
    if (r->end_st != HC_ERR_EMPTY || r->end_msg[0])
        hc_fail(r->end_st, "%s", r->end_msg);
    return r->end_st;
}

void frame_ring_stop(struct frame_ring *r)
{
    pthread_mutex_lock(&r->mu);
    r->stop = 1;
    pthread_cond_broadcast(&r->cv_space);
    pthread_mutex_unlock(&r->mu);
}
