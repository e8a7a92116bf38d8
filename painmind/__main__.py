from painmind.cli import main

main()
