insmod ./st_left.ko && pass loaded
