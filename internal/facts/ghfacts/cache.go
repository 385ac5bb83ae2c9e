package ghfacts

import (
	"container/list"
	"context"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/singleflight"

	"github.com/tracegate/tracegate/internal/cpuslot"
)

// DefaultCacheBytes bounds a Cache made with a size <= 0.
const DefaultCacheBytes = 256 << 20

// Cache holds what GitHub answered about immutable things — the files of a
// commit, a blob, a comparison of two commits, a completed run's
// artifacts — keyed by repository and SHA, least recently used first out
// when the bytes held pass the bound. Concurrent requests for one key make
// one fetch. It is safe for concurrent use, and one Cache may serve many
// repositories and installations: keys always name the repository, so
// that what one installation fetched is only ever served for the
// repository it was fetched from.
type Cache struct {
	mu    sync.Mutex
	max   int64
	used  int64
	ll    *list.List // front: most recently used
	items map[string]*list.Element
	group singleflight.Group

	hits, misses atomic.Int64
}

type cacheItem struct {
	key  string
	val  any
	size int64
}

// NewCache returns a cache of at most maxBytes (DefaultCacheBytes when <=
// 0).
func NewCache(maxBytes int64) *Cache {
	if maxBytes <= 0 {
		maxBytes = DefaultCacheBytes
	}
	return &Cache{max: maxBytes, ll: list.New(), items: map[string]*list.Element{}}
}

// Stats reports the hits and misses so far and the bytes held.
func (c *Cache) Stats() (hits, misses, bytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits.Load(), c.misses.Load(), c.used
}

func (c *Cache) get(key string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.ll.MoveToFront(e)
		return e.Value.(*cacheItem).val, true
	}
	return nil, false
}

// add keeps val, unless it alone is larger than the bound.
func (c *Cache) add(key string, val any, size int64) {
	size += int64(len(key)) + 64 // the entry's own keep
	c.mu.Lock()
	defer c.mu.Unlock()
	if size > c.max {
		return
	}
	if e, ok := c.items[key]; ok {
		c.used -= e.Value.(*cacheItem).size
		c.ll.Remove(e)
	}
	c.items[key] = c.ll.PushFront(&cacheItem{key: key, val: val, size: size})
	c.used += size
	for c.used > c.max {
		e := c.ll.Back()
		it := e.Value.(*cacheItem)
		c.ll.Remove(e)
		delete(c.items, it.key)
		c.used -= it.size
	}
}

// do returns the value of key, fetching it once for all concurrent
// callers when it is not held. fetch returns the value and its size in
// bytes; errors are not kept. hit reports whether the value was held.
//
// A caller waits for another's fetch without its CPU slot (the App's
// jobs: see cpuslot), and the fetch computes with the fetcher's: a job
// holding a slot while it waits for a fetcher that needs one to finish
// would deadlock them once every slot was held so.
func (c *Cache) do(ctx context.Context, key string, fetch func(ctx context.Context) (any, int64, error)) (val any, hit bool, err error) {
	if v, ok := c.get(key); ok {
		c.hits.Add(1)
		return v, true, nil
	}
	c.misses.Add(1)
	err = cpuslot.Off(ctx, func() (err error) {
		val, err, _ = c.group.Do(key, func() (v any, err error) {
			if v, ok := c.get(key); ok {
				return v, nil
			}
			err = cpuslot.On(ctx, func() error {
				var size int64
				if v, size, err = fetch(ctx); err == nil {
					c.add(key, v, size)
				}
				return err
			})
			return v, err
		})
		return err
	})
	return val, false, err
}

// cached is do typed.
func cached[T any](ctx context.Context, c *Cache, key string, fetch func(ctx context.Context) (T, int64, error)) (T, bool, error) {
	v, hit, err := c.do(ctx, key, func(ctx context.Context) (any, int64, error) { return fetch(ctx) })
	if err != nil {
		var zero T
		return zero, false, err
	}
	return v.(T), hit, nil
}
