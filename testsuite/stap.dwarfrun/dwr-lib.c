/* The shared library the stap.dwarfrun programs call: probed through
 * .library("libdwr.so").function(...) and, from the program, .plt(...). */
__attribute__((noipa)) int dwr_lib_mul(int a, int b)
{
	return a * b;
}
