insmod ./st_warn.ko
pass survived
