/* A function defined in a header, for @FILE matching. */
static inline __attribute__((always_inline)) int twice(int x)
{
	return x * 2;
}
