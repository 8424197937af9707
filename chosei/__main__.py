from chosei.cli import main

main()
