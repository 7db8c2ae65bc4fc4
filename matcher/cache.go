package matcher

import (
	"container/list"
	"context"
	"fmt"
	"slices"
	"sync"
)

// cache is a concurrency-safe least-recently-used map from a normalised
// keyword to its embedding. Keywords being embedded are tracked as flights,
// so that concurrent calls wait for one embedding rather than each making
// their own. The vectors are shared and never modified.
type cache struct {
	mu      sync.Mutex
	size    int
	order   *list.List // of *cacheEntry, most recently used first
	items   map[string]*list.Element
	flights map[string]*flight
}

type cacheEntry struct {
	key string
	vec []float32
}

// flight is an embedding in progress; done is closed when vec or err is set.
type flight struct {
	done chan struct{}
	vec  []float32
	err  error
}

// newCache returns a cache of size entries; size ≤ 0 gives a cache that
// keeps nothing (but still shares embeddings in flight).
func newCache(size int) *cache {
	return &cache{size: size, order: list.New(), items: make(map[string]*list.Element), flights: make(map[string]*flight)}
}

// resolve returns the vectors of keys, calling fetch once, with the distinct
// keys that are neither cached nor being fetched by another call, and waiting
// for those that are. If another call's fetch fails, its keys are fetched
// again here.
func (c *cache) resolve(ctx context.Context, keys []string, fetch func([]string) ([][]float32, error)) ([][]float32, error) {
	out := make([][]float32, len(keys))
	for {
		var (
			own   []string
			owned []*flight
			waits = make(map[*flight][]int)
		)
		c.mu.Lock()
		for i, k := range keys {
			if out[i] != nil {
				continue
			}
			if e, ok := c.items[k]; ok {
				c.order.MoveToFront(e)
				out[i] = e.Value.(*cacheEntry).vec
				continue
			}
			f, ok := c.flights[k]
			if !ok {
				f = &flight{done: make(chan struct{})}
				c.flights[k] = f
				own, owned = append(own, k), append(owned, f)
			}
			waits[f] = append(waits[f], i)
		}
		c.mu.Unlock()
		if len(own) > 0 {
			vecs, err := fetch(own)
			if err == nil && len(vecs) != len(own) {
				err = fmt.Errorf("embedder returned %d vectors for %d keywords", len(vecs), len(own))
			}
			c.mu.Lock()
			for n, k := range own {
				f := owned[n]
				delete(c.flights, k)
				if err != nil {
					f.err = err
				} else {
					f.vec = slices.Clone(vecs[n])
					c.putLocked(k, f.vec)
				}
				close(f.done)
			}
			c.mu.Unlock()
			if err != nil {
				return nil, err
			}
		}
		retry := false
		for f, idx := range waits {
			select {
			case <-f.done:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			if f.err != nil {
				retry = true
				continue
			}
			for _, i := range idx {
				out[i] = f.vec
			}
		}
		if !retry {
			return out, nil
		}
	}
}

func (c *cache) get(key string) ([]float32, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*cacheEntry).vec, true
}

func (c *cache) put(key string, vec []float32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(key, vec)
}

func (c *cache) putLocked(key string, vec []float32) {
	if c.size <= 0 {
		return
	}
	if e, ok := c.items[key]; ok {
		e.Value.(*cacheEntry).vec = vec
		c.order.MoveToFront(e)
		return
	}
	c.items[key] = c.order.PushFront(&cacheEntry{key, vec})
	for c.order.Len() > c.size {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*cacheEntry).key)
	}
}

func (c *cache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
