#include <stdio.h>
int main(void)
{
    fputs("nbaq-host: not built yet\n", stderr);
    return 70;
}
