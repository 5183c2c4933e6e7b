Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Narada.Bench -- <benchmark> (see bench/README.md)");
return 2;
