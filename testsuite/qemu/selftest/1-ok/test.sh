pass works
