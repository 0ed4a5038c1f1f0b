from c2m_tailor.cli import main

if __name__ == "__main__":
    main()
