Console.WriteLine("AiEng QuickStart: under construction.");
