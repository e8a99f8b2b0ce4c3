static void up_print_backtraces(struct stp_context *c) { (void)c; }
