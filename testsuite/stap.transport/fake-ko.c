/* The template for fake kernel modules: a relocatable object with the two
 * sections staprun looks for.  The tests replace .modinfo with objcopy to
 * make each case (foreign, other kernel, already loaded, ...). */
__attribute__((section(".modinfo"), used))
static const char modinfo[] = "name=fake\0vermagic=placeholder\0";

__attribute__((section(".gnu.linkonce.this_module"), used))
static char this_module[64];
