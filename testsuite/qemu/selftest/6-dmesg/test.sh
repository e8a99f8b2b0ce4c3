insmod ./st_bug.ko && rmmod st_bug && pass loaded
