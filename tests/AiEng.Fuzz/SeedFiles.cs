using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using PdfPageSize = UglyToad.PdfPig.Content.PageSize;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;
using WordDocument = DocumentFormat.OpenXml.Wordprocessing.Document;

namespace AiEng.Fuzz;

/// <summary>Writes the binary seeds (a tiny PDF and a tiny Word document) that are generated here rather than hand-written.</summary>
internal static class SeedFiles
{
    public static void Write(string corpus)
    {
        Save(Path.Combine(corpus, "pdf", "two-pages.pdf"), Pdf());
        Save(Path.Combine(corpus, "docx", "heading-and-table.docx"), Docx());
    }

    private static void Save(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        Console.WriteLine($"{path} ({bytes.Length} bytes)");
    }

    private static byte[] Pdf()
    {
        var builder = new PdfDocumentBuilder();
        PdfDocumentBuilder.AddedFont font = builder.AddStandard14Font(Standard14Font.Helvetica);
        builder.DocumentInformation.Title = "Seed";
        builder.AddPage(PdfPageSize.A6).AddText("First page.", 10, new PdfPoint(20, 300), font);
        builder.AddPage(PdfPageSize.A6).AddText("Second page.", 10, new PdfPoint(20, 300), font);
        return builder.Build();
    }

    private static byte[] Docx()
    {
        using var memory = new MemoryStream();
        using (var word = WordprocessingDocument.Create(memory, DocumentFormat.OpenXml.WordprocessingDocumentType.Document))
        {
            MainDocumentPart main = word.AddMainDocumentPart();
            main.Document = new WordDocument(new Body(
                new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = "Heading1" }), new Run(new Text("Seed"))),
                new Paragraph(new Run(new Text("A paragraph"), new TabChar(), new Text("with a tab."))),
                new Table(new TableRow(new TableCell(new Paragraph(new Run(new Text("cell")))), new TableCell(new Paragraph(new Run(new Text("cell"))))))));
            word.PackageProperties.Title = "Seed";
        }

        return memory.ToArray();
    }
}
